# Maps of many incidents (issue 9): grouped sums, windows and labels checked on the scene dump
# of a generated ACLED-style CSV (tests/cli/group.sh; needs python3 for bench/gen-acled.py).
add_test(NAME cli.group
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/group.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-group)
set_tests_properties(cli.group PROPERTIES LABELS cli)
