# Web outputs (issue 12, label cli): the live-text SVG against the PNG in librsvg and headless
# Chromium (tests/cli/svg.sh), and the HTML page driven in headless Chromium (tests/cli/html.sh).
add_test(NAME cli.svg
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/svg.sh $<TARGET_FILE:balmap>
          $<TARGET_FILE:imgdiff> ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-svg)
set_tests_properties(cli.svg PROPERTIES LABELS cli TIMEOUT 120)
add_test(NAME cli.html
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/html.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-html)
set_tests_properties(cli.html PROPERTIES LABELS cli TIMEOUT 120)
add_test(NAME cli.pipes
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/pipes.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-pipes)
set_tests_properties(cli.pipes PROPERTIES LABELS cli)
add_test(NAME cli.narrow
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/narrow.sh $<TARGET_FILE:balmap>
          $<TARGET_FILE:imgdiff> ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-narrow)
set_tests_properties(cli.narrow PROPERTIES LABELS cli)
# Print pages (issue 12 item 3): no text under 7 pt on A5, A4, A3; a page where nothing fits is
# refused (tests/cli/print-text.sh).
add_test(NAME cli.print-text
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/print-text.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-print-text)
set_tests_properties(cli.print-text PROPERTIES LABELS cli)

add_test(NAME cli.urdu
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/urdu.sh $<TARGET_FILE:balmap> ${PROJECT_SOURCE_DIR}
          ${CMAKE_CURRENT_BINARY_DIR}/cli-urdu)
set_tests_properties(cli.urdu PROPERTIES LABELS cli)
