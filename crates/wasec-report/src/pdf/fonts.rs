//! The fonts a PDF report embeds, and text measurement from their metrics.
//!
//! printpdf's ops API places text but does not measure it; wrapping and
//! table layout need real advance widths, which come from the font's hmtx
//! table through azul's `ParsedFont` (reached through printpdf's `Deref`).

use printpdf::{FontId, ParsedFont, PdfDocument};
use std::cell::RefCell;
use std::collections::HashMap;

/// BIZ UDPGothic (SIL OFL 1.1, see reports/fonts/OFL.txt): TrueType
/// outlines, so it embeds as CID TrueType, which every viewer renders.
pub const REGULAR: &[u8] = include_bytes!("../../../../reports/fonts/BIZUDPGothic-Regular.ttf");
pub const BOLD: &[u8] = include_bytes!("../../../../reports/fonts/BIZUDPGothic-Bold.ttf");

pub struct Face {
    pub id: FontId,
    font: ParsedFont,
    units_per_em: f32,
    /// Advance per character in em units; text repeats a lot (labels,
    /// check ids), and the cmap lookup is the hot path of layout.
    cache: RefCell<HashMap<char, f32>>,
}

impl Face {
    fn load(doc: &mut PdfDocument, bytes: &[u8]) -> Result<Face, String> {
        let mut warnings = Vec::new();
        let font = ParsedFont::from_bytes(bytes, 0, &mut warnings)
            .ok_or_else(|| "not a TrueType or OpenType font".to_string())?;
        let units_per_em = f32::from(font.pdf_font_metrics.units_per_em.max(1));
        let id = doc.add_font(&font);
        Ok(Face {
            id,
            font,
            units_per_em,
            cache: RefCell::new(HashMap::new()),
        })
    }

    /// Width of one character, in em.
    fn advance(&self, c: char) -> f32 {
        if let Some(w) = self.cache.borrow().get(&c) {
            return *w;
        }
        let gid = self.font.lookup_glyph_index(c as u32).unwrap_or(0);
        let w = f32::from(self.font.get_horizontal_advance(gid)) / self.units_per_em;
        self.cache.borrow_mut().insert(c, w);
        w
    }

    /// Width of `text` at `size` points, in points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }
}

pub struct Fonts {
    pub regular: Face,
    /// None when a single custom font serves both weights (embedded once).
    pub bold: Option<Face>,
}

impl Fonts {
    /// The bundled fonts, or `custom` for both weights.
    pub fn load(doc: &mut PdfDocument, custom: Option<&[u8]>) -> Result<Fonts, String> {
        match custom {
            Some(bytes) => Ok(Fonts {
                regular: Face::load(doc, bytes)?,
                bold: None,
            }),
            None => Ok(Fonts {
                regular: Face::load(doc, REGULAR)?,
                bold: Some(Face::load(doc, BOLD)?),
            }),
        }
    }

    pub fn face(&self, bold: bool) -> &Face {
        match &self.bold {
            Some(b) if bold => b,
            _ => &self.regular,
        }
    }
}
