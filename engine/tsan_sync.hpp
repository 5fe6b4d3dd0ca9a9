// Happens-before edges for ThreadSanitizer across oneTBB's own synchronisation. Debian's oneTBB
// is not built with TSan, so TSan cannot see that a parallel_for or parallel_pipeline returns only
// after its task bodies have finished; it then reports the caller's later reuse of stack memory
// that a task had read as a race (seen intermittently in the TSan run of the determinism tests).
// A task body ends with tsan_release(sync) and the caller, once the construct has returned, calls
// tsan_acquire(sync): exactly the ordering TBB guarantees. Outside TSan builds both are empty.
#pragma once

#if defined(__SANITIZE_THREAD__)
#include <sanitizer/tsan_interface.h>
#endif

namespace asim {

inline void tsan_release([[maybe_unused]] void* sync) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(sync);
#endif
}

inline void tsan_acquire([[maybe_unused]] void* sync) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(sync);
#endif
}

}  // namespace asim
