//! The `skew.toml` loader: any text as a repository's config (parse and validate only).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    skew::fuzzing::tolerate_guarded_panics();
    skew::fuzzing::config(data);
});
