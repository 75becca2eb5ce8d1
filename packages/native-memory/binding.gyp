{
  "targets": [
    {
      "target_name": "native_memory",
      "sources": ["src/native_memory.c", "src/v8_heap.cc"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
