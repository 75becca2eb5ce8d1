// reduceV8Heap(): a full collection of V8's heap that also compacts it and hands the pages it no
// longer needs back to the system. A forced gc() marks and sweeps but keeps fragmented old-space
// pages committed (S8: 116 MB committed for 32 MB used once every board rested); V8 compacts and
// releases them when told memory is critically short. The pressure is reported, collected for
// (synchronously: this runs on the isolate's thread), then withdrawn at once: left "critical", V8
// would keep its heap small and collect far more often once the server is busy again.
// Not part of N-API: it uses V8's own API, so the addon is built for the Node that runs it (as
// `pnpm install` does).
#include <node_api.h>
#include <v8.h>

extern "C" napi_value ReduceV8Heap(napi_env env, napi_callback_info info) {
  (void)info;
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (isolate != nullptr) {
    isolate->MemoryPressureNotification(v8::MemoryPressureLevel::kCritical);
    isolate->MemoryPressureNotification(v8::MemoryPressureLevel::kNone);
  }
  napi_value result;
  napi_get_boolean(env, isolate != nullptr, &result);
  return result;
}
