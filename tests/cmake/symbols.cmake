# Claim symbols and the legend (issue 9 items 4 and 6): keys only for symbols drawn, aggregates
# in brackets with ticks, 20 sources told apart (tests/cli/symbols.sh; python3 writes the file).
add_test(NAME cli.symbols
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/symbols.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-symbols)
set_tests_properties(cli.symbols PROPERTIES LABELS cli)
