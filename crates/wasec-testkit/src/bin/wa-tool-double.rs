//! The WA Tool double as a standalone server for other clients (boto3,
//! the AWS CLI, a browser for the admin routes).
//!
//! ```sh
//! cargo run -p wasec-testkit --bin wa-tool-double -- --port 8931 --page-size 4
//! ```
//!
//! prints `http://127.0.0.1:8931` on the first line of standard output
//! once it accepts connections, then serves until interrupted (Ctrl-C,
//! SIGTERM) or, with `--exit-on-stdin-close`, until its standard input
//! closes (so a test harness that dies never leaves it running).

use clap::Parser;
use std::io::{Read, Write};
use std::path::PathBuf;
use wasec_core::Bank;
use wasec_testkit::{Config, Double};

#[derive(Debug, Parser)]
#[command(
    name = "wa-tool-double",
    about = "A stateful double of the AWS Well-Architected Tool API (for tests)"
)]
struct Args {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Largest page any List operation returns (a small value exercises paging).
    #[arg(long, default_value_t = 50)]
    page_size: usize,
    /// The caller's account id (STS GetCallerIdentity, workload Owner).
    #[arg(long, default_value = "123456789012")]
    account: String,
    /// Question bank directory (as wasec's --questions); default: the built-in bank.
    #[arg(long, value_name = "DIR")]
    questions: Option<PathBuf>,
    /// Stop when standard input reaches end of file.
    #[arg(long)]
    exit_on_stdin_close: bool,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let bank = match Bank::load(args.questions.as_deref()) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("wa-tool-double: {e}");
            return std::process::ExitCode::from(2);
        }
    };
    let config = Config {
        page_size: args.page_size.max(1),
        account: args.account.clone(),
    };
    let double = match Double::bind(&bank, config, &format!("127.0.0.1:{}", args.port)) {
        Ok(d) => d,
        Err(e) => {
            eprintln!(
                "wa-tool-double: cannot listen on 127.0.0.1:{}: {e}",
                args.port
            );
            return std::process::ExitCode::from(2);
        }
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", double.endpoint());
    let _ = out.flush();
    drop(out);
    wait(args.exit_on_stdin_close);
    std::process::ExitCode::SUCCESS
}

/// Block until Ctrl-C / SIGTERM, or until stdin closes when asked.
fn wait(on_stdin_close: bool) {
    if on_stdin_close {
        std::thread::spawn(|| {
            let mut sink = Vec::new();
            let _ = std::io::stdin().read_to_end(&mut sink);
            std::process::exit(0);
        });
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime starts");
    rt.block_on(async {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        #[cfg(not(unix))]
        let _ = tokio::signal::ctrl_c().await;
    });
}
