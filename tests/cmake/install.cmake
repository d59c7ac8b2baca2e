# Install tests (label cli): the installed tree works without the source tree, and the man page
# and the bash completion (built by CMakeLists.txt's install section, which comes after tests/)
# describe every command and option.
add_test(NAME cli.install
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/install.sh ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR}
          ${PROJECT_SOURCE_DIR} $<TARGET_FILE:imgdiff> ${CMAKE_CURRENT_BINARY_DIR}/cli-install)
add_test(NAME cli.docs
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/docs.sh $<TARGET_FILE:balmap> ${PROJECT_BINARY_DIR}/balmap.1
          ${PROJECT_BINARY_DIR}/balmap.bash ${CMAKE_CURRENT_BINARY_DIR}/cli-docs)
set_tests_properties(cli.install cli.docs PROPERTIES LABELS cli)
