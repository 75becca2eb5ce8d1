{
  "targets": [
    {
      "target_name": "native_memory",
      "sources": ["src/native_memory.c"],
      "cflags": ["-O2", "-Wall"]
    }
  ]
}
