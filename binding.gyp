{
  "targets": [
    {
      "target_name": "pixel_stage",
      "sources": [
        "src/engines/local/pixel-stage/native/addon.c",
        "src/engines/local/pixel-stage/native/planes.c",
        "src/engines/local/pixel-stage/native/guided.c",
        "src/engines/local/pixel-stage/native/guided-avx2.c",
        "src/engines/local/pixel-stage/native/flow.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=c11", "-ffp-contract=off", "-fno-math-errno", "-Wall", "-Wextra"],
      "cflags!": ["-O2"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-ffp-contract=off", "-fno-math-errno"] }
    }
  ]
}
