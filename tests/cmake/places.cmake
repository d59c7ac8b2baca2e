# Every place problem in one pass (issue 10 item 6): validate, render and geocode --file.
add_test(NAME cli.places_one_pass
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/places-one-pass.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-places-one-pass)
set_tests_properties(cli.places_one_pass PROPERTIES LABELS cli)
