# Every place problem in one pass (issue 10 item 6): validate, render and geocode --file.
add_test(NAME cli.places_one_pass
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/places-one-pass.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-places-one-pass)
set_tests_properties(cli.places_one_pass PROPERTIES LABELS cli)
# Real spellings (issue 10 item 7): the seed report's, its follow-ups' and issue 10's place names
# resolve to the place meant or are refused, never placed elsewhere (bench/README.md has the
# figures).
add_test(NAME cli.real_spellings
  COMMAND python3 ${PROJECT_SOURCE_DIR}/bench/real-spellings.py $<TARGET_FILE:balmap> --check)
set_tests_properties(cli.real_spellings PROPERTIES LABELS cli)
