// trimHeap(): asks glibc's allocator to give the free pages of its heap back to the system
// (malloc_trim(0), which also releases whole free pages in the middle of the heap, not only at its
// top). Returns true if memory was released, false if none could be, and false where the C library
// is not glibc (musl, macOS), which have no such call.
#include <node_api.h>

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

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
    {"trimHeap", NULL, TrimHeap, NULL, NULL, NULL, napi_default, NULL},
    {"hasTrim", NULL, HasTrim, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof(properties) / sizeof(properties[0]), properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
