# Issue 13/14 (perf): what a plain render loads, and layer sources kept local (label cli).
add_test(NAME cli.layer_local
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/cli/layer-local.sh $<TARGET_FILE:balmap>
          ${PROJECT_SOURCE_DIR} ${CMAKE_CURRENT_BINARY_DIR}/cli-layer-local)
set_tests_properties(cli.layer_local PROPERTIES LABELS cli)

# unit.view_proj compares view.c's projection with PROJ's; only this test links PROJ.
target_link_libraries(test_view_proj PRIVATE PkgConfig::PROJ)
