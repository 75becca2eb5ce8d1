// trimHeap(): asks glibc's allocator to give the free pages of its heap back to the system
// (malloc_trim(0), which also releases whole free pages in the middle of the heap, not only at its
// top). Returns true if memory was released, false if none could be, and false where the C library
// is not glibc (musl, macOS), which have no such call.
// trimHeapAsync(): the same on a thread of libuv's pool, as a promise: walking a heap of a few
// hundred megabytes takes 100-300 ms, which the event loop then spends serving (it only waits if it
// needs the allocator's lock meanwhile).
#include <node_api.h>
#include <stdlib.h>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

static napi_value TrimHeap(napi_env env, napi_callback_info info) {
  (void)info;
  int released = 0;
#if defined(__GLIBC__)
  released = malloc_trim(0);
#endif
  napi_value result;
  napi_get_boolean(env, released != 0, &result);
  return result;
}

typedef struct {
  napi_async_work work;
  napi_deferred deferred;
  int released;
} TrimJob;

static void TrimExecute(napi_env env, void* data) {
  (void)env;
  TrimJob* job = (TrimJob*)data;
#if defined(__GLIBC__)
  job->released = malloc_trim(0);
#else
  job->released = 0;
#endif
}

static void TrimComplete(napi_env env, napi_status status, void* data) {
  TrimJob* job = (TrimJob*)data;
  napi_value result;
  napi_get_boolean(env, status == napi_ok && job->released != 0, &result);
  napi_resolve_deferred(env, job->deferred, result);
  napi_delete_async_work(env, job->work);
  free(job);
}

static napi_value TrimHeapAsync(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value promise;
  napi_value name;
  TrimJob* job = (TrimJob*)calloc(1, sizeof(TrimJob));
  if (job == NULL) {
    napi_throw_error(env, NULL, "out of memory");
    return NULL;
  }
  napi_create_promise(env, &job->deferred, &promise);
  napi_create_string_utf8(env, "fabrique:trimHeap", NAPI_AUTO_LENGTH, &name);
  napi_create_async_work(env, NULL, name, TrimExecute, TrimComplete, job, &job->work);
  napi_queue_async_work(env, job->work);
  return promise;
}

static napi_value HasTrim(napi_env env, napi_callback_info info) {
  (void)info;
  napi_value result;
#if defined(__GLIBC__)
  napi_get_boolean(env, true, &result);
#else
  napi_get_boolean(env, false, &result);
#endif
  return result;
}

/* In v8_heap.cc: V8's own API is C++. */
napi_value ReduceV8Heap(napi_env env, napi_callback_info info);

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
    {"trimHeap", NULL, TrimHeap, NULL, NULL, NULL, napi_default, NULL},
    {"trimHeapAsync", NULL, TrimHeapAsync, NULL, NULL, NULL, napi_default, NULL},
    {"hasTrim", NULL, HasTrim, NULL, NULL, NULL, napi_default, NULL},
    {"reduceV8Heap", NULL, ReduceV8Heap, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
