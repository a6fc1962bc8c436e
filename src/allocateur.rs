//! How the allocator (mimalloc) gives memory back to the system: set by the command line, which
//! knows the stages of a run; the library knows nothing of it.

/// mimalloc's `mi_option_purge_delay` (mimalloc.h, version 3): milliseconds before freed memory
/// goes back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Freed memory goes back to the system after `millisecondes` (0: at once).
pub fn rendre_apres(millisecondes: i32) {
    // SAFETY: sets a plain integer option of the allocator, which mimalloc allows at any time.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, millisecondes.into()) };
}

/// At start: memory freed is given back at once (the sheets read, the model let go), and no
/// transparent huge pages.
pub fn regler() {
    // 10 000 candidates: peak of the reading 277 → 160 MB (benches/bench.sh).
    rendre_apres(0);
    // mimalloc's memory would otherwise be given (zeroed) and kept by the kernel 2 MiB at a time
    // for every page touched. Peak memory, same time: 35 candidates 116 → 67 MB, 1 000: 126 →
    // 104 MB, 10 000: 160 → 150 MB. The flag passes to the child processes that read workbooks.
    // SAFETY: PR_SET_THP_DISABLE only sets a flag of this process; its failure changes nothing.
    #[cfg(target_os = "linux")]
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// While documents are laid out: each lot frees what the next one allocates again, so memory
/// is kept 100 ms rather than given back and faulted in anew. `generer --formats pdf`, three
/// runs each: 1 000 candidates 9.8 → 9.2 s (system time 5.1 → 3.9 s), peak 98 → 120–131 MB;
/// 35 candidates 0.35 → 0.31 s, 69 → 87 MB. The peak of 10 000 stays the reading's.
pub const DELAI_PENDANT_LE_RENDU: i32 = 100;
