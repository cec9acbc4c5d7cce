//! Tests of `edx-matrix serve` through real HTTP on loopback, and a real browser.
#![allow(clippy::unwrap_used)]

mod support;

mod api;
mod branch_heads;
mod browser;
mod browser_lock;
mod diff;
mod hardening;
mod history;
mod links;
mod lock;
mod reload;
mod security;
mod template_hardening;
mod uncommitted;
mod webhook;
mod wiring;
