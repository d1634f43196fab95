// jemalloc's settings for this server, read by jemalloc at start-up (the `malloc_conf`
// symbol; the MALLOC_CONF environment variable still overrides each of them).
//
// Measured on 2 cores with 48 12 MP JPEG -> 800 px JPEG requests at C=4 and 320 small
// JPEGs at C=16 (fresh server each, two interleaved rounds):
//   defaults (4 arenas per core, 10 s decay)      ~97 MB peak, CPU per request = 1.0
//   narenas:2                                     ~85 MB,      CPU 0.93-1.0
//   narenas:2 + decay 0 (give pages back at once) ~55 MB,      CPU 1.1-1.35 (madvise churn)
//   narenas:2 + 1 s decay in a background thread  ~75 MB,      CPU 0.95-1.0   <- this
// Image work allocates large, short-lived buffers from few threads: many arenas only
// multiply what is kept, and a background thread returns it without stalling requests.
extern "C" {
// NOLINTNEXTLINE: the name and type are jemalloc's interface.
const char* malloc_conf = "narenas:2,background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
