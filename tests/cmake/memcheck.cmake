# memcheck.render: the example map under valgrind's memcheck on the non-sanitized build (valgrind
# and ASan cannot run together): no invalid read or write, no use of uninitialised memory.
# Leaks are LeakSanitizer's job in the asan preset. About 15 s.
find_program(VALGRIND valgrind)
if(VALGRIND AND NOT BM_SANITIZE)
  add_test(NAME memcheck.render
    COMMAND ${VALGRIND} -q --error-exitcode=9 --leak-check=no $<TARGET_FILE:balmap>
      render ${PROJECT_SOURCE_DIR}/examples/herof2.json
      -o ${CMAKE_CURRENT_BINARY_DIR}/memcheck.png -o ${CMAKE_CURRENT_BINARY_DIR}/memcheck.svg
      -o ${CMAKE_CURRENT_BINARY_DIR}/memcheck.pdf --facet source)
  set_tests_properties(memcheck.render PROPERTIES LABELS memcheck TIMEOUT 300)
endif()
