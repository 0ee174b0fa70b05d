//! What a face asks for whole: the AFMT account, report packs, the site
//! import, the help pages.
pub mod account;
pub mod help;
pub mod reports;
pub mod site_import;
