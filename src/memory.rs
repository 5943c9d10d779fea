//! How the process asks the C allocator to behave, so that a small provincial
//! server's memory stays bounded under load (docs/PERFORMANCE.md, memory).

/// Makes glibc's allocator give freed memory back instead of keeping it:
/// - blocks of 1 MiB or more always come from `mmap` and return to the system
///   when freed. Each sign-in hashes with Argon2 in 19 MiB; by default glibc
///   raises its mmap threshold after freeing such a block, and every later hash
///   then comes from a heap that stays resident;
/// - two arenas in all, instead of eight a core: actix's worker and blocking
///   threads would otherwise each fragment an arena of their own.
///
/// Called once at start-up, before any thread exists. Elsewhere than Linux with
/// glibc it does nothing.
pub fn limit_retention() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; it is called before any
    // other thread runs, as glibc requires for M_ARENA_MAX to apply to all.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 1 << 20);
        libc::mallopt(libc::M_ARENA_MAX, 2);
    }
}
