//! Who is asking: sessions, API tokens, passwords, login throttling, and the
//! `Actor` every service call takes.

mod actor;
pub mod login;
pub mod password;
pub mod sealed;
pub mod second_factor;
pub mod secret;
pub mod signals;
pub mod totp;

pub use actor::{Actor, SessionContext, TokenContext};
