# Lint checks (label lint): the mechanical parts of the style guide, each a script in scripts/
# that names file:line for every problem.
set(BM_SCRIPTS ${PROJECT_SOURCE_DIR}/scripts)

# Section 1: data flows one way; a src/lib module includes only modules listed before it.
add_test(NAME lint.layers COMMAND bash ${BM_SCRIPTS}/lint-layers.sh ${PROJECT_SOURCE_DIR})
# ... and the lint itself fails on an upward include and on an include cycle (fake trees).
add_test(NAME lint.layers_selftest
  COMMAND bash ${PROJECT_SOURCE_DIR}/tests/lint/layers-selftest.sh ${BM_SCRIPTS}/lint-layers.sh)

# Section 5: no mutable globals or function-local statics in libbalmap.a (skipped, exit 77, in
# sanitizer builds, whose instrumentation adds data to every object).
if(CMAKE_OBJDUMP)
  set(BM_OBJDUMP ${CMAKE_OBJDUMP})
else()
  set(BM_OBJDUMP objdump)
endif()
add_test(NAME lint.globals
  COMMAND bash ${BM_SCRIPTS}/lint-globals.sh $<TARGET_FILE:balmap_lib>
          --sanitize=${BM_SANITIZE} --objdump=${BM_OBJDUMP})
set_tests_properties(lint.globals PROPERTIES SKIP_RETURN_CODE 77)

# Section 1: the library exports only balmap.h's API (src/lib/balmap.exports) to the command line.
add_test(NAME lint.exports
  COMMAND bash ${BM_SCRIPTS}/lint-exports.sh ${BM_PUBLIC_OBJECT}
          ${PROJECT_SOURCE_DIR}/src/lib/balmap.exports --objdump=${BM_OBJDUMP})

# Section 5: sprintf, strcpy, strcat, atoi, atof, strtok, gets in src/ and tests/.
add_test(NAME lint.banned COMMAND bash ${BM_SCRIPTS}/lint-source.sh banned ${PROJECT_SOURCE_DIR})

# Section 4: the library never prints, exits, reads the environment or sets the locale.
add_test(NAME lint.no_stdout_in_lib
  COMMAND bash ${BM_SCRIPTS}/lint-source.sh lib-io ${PROJECT_SOURCE_DIR})

# Section 9: clang-format --dry-run -Werror over src/ and tests/ (setup.sh installs it).
find_program(BM_CLANG_FORMAT NAMES clang-format clang-format-14)
add_test(NAME lint.format
  COMMAND bash ${BM_SCRIPTS}/lint-format.sh ${PROJECT_SOURCE_DIR} ${BM_CLANG_FORMAT})

set_tests_properties(lint.layers lint.layers_selftest lint.exports lint.globals lint.banned lint.no_stdout_in_lib lint.format
  PROPERTIES LABELS lint)
