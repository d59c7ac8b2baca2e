# Test tools (tests/tools/) and their own tests (label unit).
# imgdiff: tolerant PNG comparison for the CLI cases; `imgdiff --selftest DIR` draws images with
# known differences and checks each verdict, exit codes and the diff image.
add_executable(imgdiff ${CMAKE_CURRENT_SOURCE_DIR}/tools/imgdiff.c)
target_link_libraries(imgdiff PRIVATE PkgConfig::CAIRO bm_warnings)

set(BM_IMGDIFF_DIR ${CMAKE_CURRENT_BINARY_DIR}/imgdiff-selftest)
add_test(NAME tools.imgdiff.selftest COMMAND imgdiff --selftest ${BM_IMGDIFF_DIR})
# The same verdicts through a real process, on the images the self-test leaves behind.
add_test(NAME tools.imgdiff.same_process
  COMMAND imgdiff ${BM_IMGDIFF_DIR}/base.png ${BM_IMGDIFF_DIR}/at-limit.png)
add_test(NAME tools.imgdiff.different_process
  COMMAND imgdiff --diff ${BM_IMGDIFF_DIR}/process.diff.png
          ${BM_IMGDIFF_DIR}/base.png ${BM_IMGDIFF_DIR}/block.png)
set_tests_properties(tools.imgdiff.selftest PROPERTIES LABELS unit FIXTURES_SETUP bm_imgdiff)
set_tests_properties(tools.imgdiff.same_process PROPERTIES LABELS unit
  FIXTURES_REQUIRED bm_imgdiff)
# Exit 1 with a diff image written; exit 2 (trouble) would not print this.
set_tests_properties(tools.imgdiff.different_process PROPERTIES LABELS unit
  FIXTURES_REQUIRED bm_imgdiff PASS_REGULAR_EXPRESSION "imgdiff: wrote diff image")
