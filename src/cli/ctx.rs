//! What every command needs: the language and the question bank.

use anyhow::Context;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use wasec_core::review::{self, ReviewFile};
use wasec_core::{Bank, Lang, Review};

pub struct Ctx {
    pub lang: Lang,
    /// `-v`: show underlying errors (e.g. the AWS SDK's) besides the
    /// plain-words message.
    pub verbose: bool,
    questions: Option<PathBuf>,
    bank: OnceLock<Bank>,
}

impl Ctx {
    pub fn new(lang: Option<Lang>, questions: Option<PathBuf>) -> Ctx {
        Ctx {
            lang: lang.unwrap_or_else(Lang::from_env),
            verbose: false,
            questions,
            bank: OnceLock::new(),
        }
    }

    pub fn with_verbose(mut self, verbose: bool) -> Ctx {
        self.verbose = verbose;
        self
    }

    /// The question bank, loaded on first use.
    pub fn bank(&self) -> anyhow::Result<&Bank> {
        if let Some(b) = self.bank.get() {
            return Ok(b);
        }
        let bank = Bank::load(self.questions.as_deref())
            .map_err(|e| anyhow::anyhow!("{e}"))
            .context("cannot load the question bank")?;
        Ok(self.bank.get_or_init(|| bank))
    }

    pub fn questions_dir(&self) -> Option<&Path> {
        self.questions.as_deref()
    }

    /// Read a review without locking it.
    pub fn load(&self, path: &Path) -> anyhow::Result<Review> {
        review::load(path, self.bank()?).map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// Open a review for writing (locked until the handle drops).
    pub fn open(&self, path: &Path) -> anyhow::Result<(ReviewFile, Review)> {
        ReviewFile::open(path, self.bank()?).map_err(|e| anyhow::anyhow!("{e}"))
    }

    /// Save through an open handle, stamping the change time.
    pub fn save(&self, file: &mut ReviewFile, review: &mut Review) -> anyhow::Result<()> {
        review.touch(wasec_core::now());
        file.save(review).map_err(|e| anyhow::anyhow!("{e}"))
    }
}
