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

# The Debian package (label package): cpack -G DEB, its control file and files, and the unpacked
# tree at work. Skipped without dpkg-dev.
if(CMAKE_CPACK_COMMAND)
  add_test(NAME package.deb
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/package.sh ${CMAKE_CPACK_COMMAND} ${PROJECT_BINARY_DIR}
            ${PROJECT_SOURCE_DIR} $<TARGET_FILE:imgdiff> ${CMAKE_CURRENT_BINARY_DIR}/package-deb)
  set_tests_properties(package.deb PROPERTIES LABELS package SKIP_RETURN_CODE 77)
endif()
