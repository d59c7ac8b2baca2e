# Small multiples by year and month, district and province sums, the window in the subtitle and
# one scale for a batch series (issue 9 items 1-4), checked on scene dumps of a generated
# ACLED-style CSV (tests/cli/facet.sh; needs python3 for bench/gen-acled.py).
add_test(NAME cli.facet
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/facet.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-facet)
set_tests_properties(cli.facet PROPERTIES LABELS cli)
