/*
 * The registry of the marks stage: one line per kernel, MARKS_KERNEL(name, run, release),
 * where `run` is the kernel's marks_run_fn and `release` frees its per-run state (`free`
 * for a plain allocation). The name is what a look's marks step asks for.
 */
MARKS_KERNEL(paper_grain, marks_paper_grain, free)
MARKS_KERNEL(drawing, marks_drawing, marks_drawing_free)
MARKS_KERNEL(ink_comic, marks_ink_comic, free)
MARKS_KERNEL(cartoon, marks_cartoon, free)
MARKS_KERNEL(neon, marks_neon, free)
MARKS_KERNEL(pop_art, marks_pop_art, free)
MARKS_KERNEL(oil_paint, marks_oil_paint, marks_oil_free)
MARKS_KERNEL(watercolor_paint, marks_watercolor_paint, marks_watercolor_free)
MARKS_KERNEL(pastel_chalk, marks_pastel_chalk, marks_pastel_free)
MARKS_KERNEL(pixel_cells, marks_pixel_cells, marks_pixel_cells_free)
