# Messages that say what is wrong, where, and what to do (issue 14 items 4, 6, 7): one test per
# case of tests/cli/messages.sh, cli.message.<case> (label cli); tests/cli/messages.md lists
# them beside the messages they replaced.
foreach(case empty-json empty-csv empty-geojson nesting surrogate size-range extent-inverted
             extent-empty extent-antimeridian pin-pole layer-prj utf16-bom utf16-csv
             claims-without-figures margins fallback-font manifest-secret geocode-nul
             link-scheme options-after-operands)
  add_test(NAME cli.message.${case}
    COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/messages.sh $<TARGET_FILE:balmap>
            ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-message-${case} ${case})
  set_tests_properties(cli.message.${case} PROPERTIES LABELS cli)
endforeach()
