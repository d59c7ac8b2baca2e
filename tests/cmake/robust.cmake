# Robustness (issue 14): multi-step CLI checks, each a script in tests/cli/ (label cli).
foreach(check safe-writes batch-robust text-limits)
  string(REPLACE "-" "_" tname ${check})
  add_test(NAME cli.${tname}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/${check}.sh $<TARGET_FILE:balmap>
            ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-${check})
  set_tests_properties(cli.${tname} PROPERTIES LABELS cli)
endforeach()
