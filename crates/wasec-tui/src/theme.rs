//! Colours, switched off when `NO_COLOR` is set (https://no-color.org):
//! then only bold, reverse and underline are used, and every state also
//! has a symbol so nothing depends on colour alone.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// Colour unless the environment sets `NO_COLOR` to a non-empty value.
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme { color: !no_color }
    }

    pub fn fg(self, c: Color) -> Style {
        if self.color {
            Style::new().fg(c)
        } else {
            Style::new()
        }
    }

    pub fn bg(self, c: Color) -> Style {
        if self.color {
            Style::new().bg(c)
        } else {
            Style::new()
        }
    }

    pub fn bold(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    /// Section headings inside a pane.
    pub fn heading(self) -> Style {
        self.bold().patch(self.fg(Color::Cyan))
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    /// The highlighted row of the focused list.
    pub fn cursor(self, focused: bool) -> Style {
        if focused {
            Style::new().add_modifier(Modifier::REVERSED)
        } else {
            Style::new().add_modifier(Modifier::UNDERLINED)
        }
    }

    pub fn border(self, focused: bool) -> Style {
        match (focused, self.color) {
            (true, true) => Style::new().fg(Color::Cyan),
            (true, false) => Style::new().add_modifier(Modifier::BOLD),
            _ => Style::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_color_theme_uses_no_colours_but_keeps_emphasis() {
        let t = Theme { color: false };
        assert_eq!(t.fg(Color::Red), Style::new());
        assert_eq!(t.bg(Color::Red), Style::new());
        assert_eq!(t.dim(), Style::new());
        assert!(t.cursor(true).add_modifier.contains(Modifier::REVERSED));
        assert_eq!(Theme { color: true }.fg(Color::Red).fg, Some(Color::Red));
    }
}
