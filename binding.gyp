{
  "targets": [
    {
      "target_name": "pixel_stage",
      "sources": [
        "src/engines/local/pixel-stage/native/addon.c",
        "src/engines/local/pixel-stage/native/planes.c",
        "src/engines/local/pixel-stage/native/guided.c",
        "src/engines/local/pixel-stage/native/guided-avx2.c",
        "src/engines/local/pixel-stage/native/flow.c",
        "src/engines/local/pixel-stage/native/marks.c",
        "src/engines/local/pixel-stage/native/marks/paper-grain.c",
        "src/engines/local/pixel-stage/native/marks/primitives.c",
        "src/engines/local/pixel-stage/native/marks/drawing.c",
        "src/engines/local/pixel-stage/native/marks/drawing-tone.c",
        "src/engines/local/pixel-stage/native/marks/hatching.c",
        "src/engines/local/pixel-stage/native/marks/flow-lines.c",
        "src/engines/local/pixel-stage/native/marks/inked.c",
        "src/engines/local/pixel-stage/native/marks/neon.c",
        "src/engines/local/pixel-stage/native/marks/pop.c",
        "src/engines/local/pixel-stage/native/marks/brush.c",
        "src/engines/local/pixel-stage/native/marks/watercolor.c",
        "src/engines/local/pixel-stage/native/marks/pastel.c",
        "src/engines/local/pixel-stage/native/marks/oil.c",
        "src/engines/local/pixel-stage/native/marks/kuwahara.c",
        "src/engines/local/pixel-stage/native/marks/abstraction.c",
        "src/engines/local/pixel-stage/native/marks/pixel.c",
        "src/engines/local/pixel-stage/native/marks/pixel-palette.c",
        "src/engines/local/pixel-stage/native/marks/pixel-clusters.c"
      ],
      "defines": ["NAPI_VERSION=8"],
      "cflags": ["-O3", "-std=gnu11", "-pthread", "-ffp-contract=off", "-fno-math-errno", "-Wall", "-Wextra"],
      "cflags!": ["-O2"],
      "ldflags": ["-pthread"],
      "xcode_settings": { "OTHER_CFLAGS": ["-O3", "-ffp-contract=off", "-fno-math-errno"] }
    }
  ]
}
