# Inputs and regeneration (issue 5): multi-step CLI checks that a one-command case under
# tests/cli/<case>/ cannot express, each a script in tests/cli/ (label cli).
foreach(check batch if-changed layer)
  string(REPLACE "-" "_" tname ${check})
  add_test(NAME cli.${tname}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/${check}.sh $<TARGET_FILE:balmap>
            ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-${check})
  set_tests_properties(cli.${tname} PROPERTIES LABELS cli)
endforeach()
