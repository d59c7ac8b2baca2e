# Data-driven CLI cases (label cli): each tests/cli/<case>/ directory with an `args` file is one
# test, cli.<case>, run by tests/cli/run-case.sh (which documents the expected.* files). A new
# case directory is picked up at the next build. BM_UPDATE_GOLDEN=1 ctest -L cli rewrites the
# expectations.
file(GLOB BM_CLI_CASE_ARGS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/cli/*/args)
foreach(args ${BM_CLI_CASE_ARGS})
  get_filename_component(case_dir ${args} DIRECTORY)
  get_filename_component(case ${case_dir} NAME)
  add_test(NAME cli.${case}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/run-case.sh $<TARGET_FILE:balmap>
            $<TARGET_FILE:imgdiff> ${PROJECT_SOURCE_DIR} ${case_dir}
            ${CMAKE_CURRENT_BINARY_DIR}/cli/${case} ${PROJECT_VERSION})
  set_tests_properties(cli.${case} PROPERTIES LABELS cli)
endforeach()

# The README's render twice: byte-identical, valid PNG, SVG and PDF.
add_test(NAME cli.reproducible
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/reproducible.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-reproducible)
set_tests_properties(cli.reproducible PROPERTIES LABELS cli)
