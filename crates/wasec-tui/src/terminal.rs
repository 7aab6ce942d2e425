//! The terminal runtime: raw mode and the alternate screen on entry,
//! restored on exit, on error, on panic, on Ctrl-C (a key in raw mode)
//! and on SIGTERM / SIGHUP (a closed terminal window, `kill`); the event
//! loop that feeds keys, ticks and background messages to `update`, and
//! performs the effects it returns.

use crate::action::{Action, Effect};
use crate::app::App;
use crate::msg::Msg;
use crate::{keymap, update, view};
use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::collections::VecDeque;
use std::io::{self, Stdout};
use std::path::Path;
use std::sync::mpsc;
use std::time::{Duration, Instant};
use wasec_core::review::{ReviewFile, StoreError};

/// Set to render one frame and exit (used to time start-up).
pub const FIRST_FRAME_ONLY_ENV: &str = "WASEC_TUI_FIRST_FRAME_ONLY";
/// Set to panic after the first frame: lets the end-to-end test check that
/// a panic gives the terminal back.
pub const TEST_PANIC_ENV: &str = "WASEC_TUI_TEST_PANIC";

/// Put the terminal back the way the shell expects it. Safe to call twice.
pub fn restore() -> io::Result<()> {
    let raw = disable_raw_mode();
    execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    )?;
    raw
}

/// Restore the terminal before the default panic message prints, so the
/// message is readable and the shell is usable afterwards.
pub fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = restore();
        previous(info);
    }));
}

/// Set by SIGTERM or SIGHUP; the loop notices within one poll interval
/// and quits the normal way, so the terminal is restored and pending
/// meeting time is saved. Answers are saved after every change already.
#[cfg(unix)]
fn stop_requested() -> io::Result<std::sync::Arc<std::sync::atomic::AtomicBool>> {
    use signal_hook::consts::{SIGHUP, SIGTERM};
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    for sig in [SIGTERM, SIGHUP] {
        signal_hook::flag::register(sig, flag.clone())?;
    }
    // When the terminal itself is gone (a closed window sends SIGHUP),
    // crossterm's input poll can spin on end-of-file and never return to
    // the loop. Answers are on disk already, so end the process here if
    // the loop has not quit shortly after the signal.
    let watchdog = flag.clone();
    std::thread::spawn(move || {
        while !watchdog.load(std::sync::atomic::Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(Duration::from_secs(2));
        let _ = restore();
        std::process::exit(0);
    });
    Ok(flag)
}

#[cfg(not(unix))]
fn stop_requested() -> io::Result<std::sync::Arc<std::sync::atomic::AtomicBool>> {
    Ok(Default::default())
}

enum Input {
    Event(Event),
    Action(Action),
}

/// Restores the terminal when dropped (early returns and `?` included).
struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = restore();
    }
}

fn setup() -> io::Result<Terminal<CrosstermBackend<Stdout>>> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    Terminal::new(CrosstermBackend::new(io::stdout()))
}

fn local_time() -> String {
    let fmt = time::macros::format_description!("[hour]:[minute]:[second]");
    match time::OffsetDateTime::now_local() {
        Ok(t) => t.format(fmt).unwrap_or_default(),
        Err(_) => format!(
            "{}Z",
            time::OffsetDateTime::now_utc()
                .format(fmt)
                .unwrap_or_default()
        ),
    }
}

/// Perform the effects `update` asked for, feeding results back as actions.
fn perform(
    app: &mut App,
    store: &mut Option<ReviewFile>,
    tx: &mpsc::Sender<Msg>,
    effects: Vec<Effect>,
) {
    for fx in effects {
        let result = match fx {
            Effect::StartCollect => {
                if let Some(c) = app.collector.as_mut() {
                    c.start(app.review.clone(), tx.clone());
                }
                continue;
            }
            Effect::Rescue => {
                // Only when the save before it did not succeed.
                if app.save.unsaved() {
                    Action::Rescued(rescue(app, store.as_ref()))
                } else {
                    continue;
                }
            }
            Effect::SaveAs(path) => save_as(app, store, &path),
            fx => {
                let Some(file) = store.as_mut() else {
                    continue;
                };
                write(app, file, fx)
            }
        };
        let more = update::update(app, result);
        debug_assert!(more.is_empty());
    }
}

/// Save, overwrite or reload through the open file.
fn write(app: &mut App, file: &mut ReviewFile, fx: Effect) -> Action {
    if fx == Effect::Reload {
        return Action::Reloaded(
            file.reload(&app.bank)
                .map(Box::new)
                .map_err(|e| e.to_string()),
        );
    }
    app.review.touch(wasec_core::now());
    let result = if fx == Effect::Overwrite {
        file.overwrite(&app.review)
    } else {
        file.save(&app.review)
    };
    match result {
        Ok(()) => Action::Saved { at: local_time() },
        Err(StoreError::ChangedOnDisk { .. }) => Action::ChangedOnDisk,
        Err(e) => Action::SaveFailed(e.to_string()),
    }
}

/// Write the review to a new file and keep working there.
fn save_as(app: &mut App, store: &mut Option<ReviewFile>, path: &Path) -> Action {
    app.review.touch(wasec_core::now());
    match ReviewFile::create(path, &app.review) {
        Ok(file) => {
            *store = Some(file);
            Action::SavedAs {
                label: path.display().to_string(),
                at: local_time(),
            }
        }
        Err(e) => Action::SaveFailed(e.to_string()),
    }
}

/// Write unsaved changes to a rescue copy: beside the review if that
/// folder takes it, else in the temporary folder. Returns its path.
fn rescue(app: &App, store: Option<&ReviewFile>) -> Result<String, String> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year][month][day]-[hour][minute][second]"
        ))
        .unwrap_or_default();
    let name = |base: &str| format!("{base}.unsaved-{stamp}.yaml");
    let beside = store.map(|f| {
        let p = f.path();
        p.with_file_name(name(&p.file_name().unwrap_or_default().to_string_lossy()))
    });
    let temp = std::env::temp_dir().join(name(&format!("wasec-{}", std::process::id())));
    let text = wasec_core::review::render(&app.review);
    for path in beside.into_iter().chain([temp]) {
        if wasec_core::review::write_atomic(&path, text.as_bytes()).is_ok() {
            return Ok(path.display().to_string());
        }
    }
    Err("could not write a rescue copy anywhere".into())
}

/// Run the UI until the user quits. `store` is where changes are saved
/// (`None` for the demo). Returns the final state.
pub fn run(mut app: App, mut store: Option<ReviewFile>) -> io::Result<App> {
    install_panic_hook();
    let mut terminal = setup()?;
    let _guard = Guard;
    let stop = stop_requested()?;
    let (tx, rx) = mpsc::channel::<Msg>();
    let first_frame_only = std::env::var_os(FIRST_FRAME_ONLY_ENV).is_some();
    let test_panic = std::env::var_os(TEST_PANIC_ENV).is_some();
    let mut last_tick = Instant::now();
    loop {
        terminal.draw(|f| view::draw(f, &app))?;
        if first_frame_only || app.quit {
            break;
        }
        if test_panic {
            panic!("{TEST_PANIC_ENV} is set: deliberate panic after the first frame");
        }
        // Take everything already queued so fast typing (or a paste
        // without bracketed paste) costs one frame, not one per key.
        let mut events = Vec::new();
        if event::poll(Duration::from_millis(250))? {
            loop {
                events.push(event::read()?);
                if !event::poll(Duration::ZERO)? {
                    break;
                }
            }
        }
        let mut queue: VecDeque<Input> = events.into_iter().map(Input::Event).collect();
        if stop.load(std::sync::atomic::Ordering::Relaxed) {
            queue.push_front(Input::Action(Action::ForceQuit));
        }
        while let Ok(m) = rx.try_recv() {
            queue.push_back(Input::Action(Action::Background(m)));
        }
        let secs = last_tick.elapsed().as_secs();
        if secs > 0 {
            last_tick += Duration::from_secs(secs);
            queue.push_back(Input::Action(Action::Tick { secs }));
        }
        while let Some(input) = queue.pop_front() {
            // Keys are mapped one at a time against the current state: a
            // key that opens an editor changes what the next key means.
            let action = match input {
                Input::Action(a) => Some(a),
                Input::Event(Event::Key(k)) => keymap::map(&app, k),
                Input::Event(Event::Paste(s)) if app.overlay.is_some() => Some(Action::Paste(s)),
                // Resize: the next draw picks up the new size.
                Input::Event(_) => None,
            };
            if let Some(a) = action {
                let fx = update::update(&mut app, a);
                perform(&mut app, &mut store, &tx, fx);
            }
            if app.quit {
                break;
            }
        }
        if app.quit {
            break;
        }
    }
    drop(terminal);
    Ok(app)
}
