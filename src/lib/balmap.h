/* SPDX-License-Identifier: MIT */
/* balmap.h - libbalmap's public API: the one header the command line (src/cli) includes.
 *
 * It gathers the public pieces of the library:
 *   bm_error.h   the error value and the diagnostics list (validate's report)
 *   bm_buf.h     the growable buffer and the string arena
 *   dates.h      bm_date_is_iso (--as-of and a manifest's as_of)
 *   utf8.h       bm_utf8_locate (the width of a table cell in characters)
 *   incidents.h  the incident model, measure and party names
 *   incidents_load.h  loading an incident file (validate)
 *   gazetteer.h  place lookup (`balmap geocode`)
 *   manifest.h   reading a batch manifest (`batch`; the options stay the caller's)
 *   map.h        bm_render(request): one call per map (`render`, `batch`)
 *   output.h     output formats by file name
 *   shapes.h     bm_shapes_register_all, before rendering from several threads
 *   render_cache.h  the basemap cache a batch shares between its maps
 * and the version. Only the functions named in balmap.exports (beside this file) leave the
 * library the command line links (CMakeLists.txt localises every other symbol; lint.exports
 * checks it); unit tests link the whole static library and may include internal headers. */
#ifndef BM_BALMAP_H
#define BM_BALMAP_H

#include "bm_buf.h"
#include "bm_error.h"
#include "dates.h"
#include "gazetteer.h"
#include "incidents.h"
#include "incidents_load.h"
#include "manifest.h"
#include "map.h"
#include "output.h"
#include "render_cache.h"
#include "shapes.h"
#include "utf8.h"

/* The library's version, "0.1.0". */
const char *bm_version(void);

#endif
