#pragma once
// Happens-before edges that ThreadSanitizer cannot see for itself: the prebuilt libvips
// joins its worker threads with futexes inside the library, so our callbacks that it
// runs on those threads look unordered with what follows. Each edge is told to TSan
// with a release on one side and an acquire on the other. No code outside a TSan build.

#if defined(__SANITIZE_THREAD__)
extern "C" void __tsan_acquire(void* addr);
extern "C" void __tsan_release(void* addr);
#endif

namespace pixmill::core {

inline void tsan_release([[maybe_unused]] const void* sync) {
#if defined(__SANITIZE_THREAD__)
  __tsan_release(const_cast<void*>(sync));
#endif
}

inline void tsan_acquire([[maybe_unused]] const void* sync) {
#if defined(__SANITIZE_THREAD__)
  __tsan_acquire(const_cast<void*>(sync));
#endif
}

}  // namespace pixmill::core
