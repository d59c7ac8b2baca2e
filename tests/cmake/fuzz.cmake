# Fuzz targets (style guide section 8): tests/fuzz/fuzz_<parser>.c each define
# LLVMFuzzerTestOneInput. Normally they are linked with tests/fuzz/driver.c and run briefly in
# CTest (label fuzz): the seed corpus tests/fuzz/corpus/<parser>/ and 3000 fixed-seed mutations,
# which under the asan preset is a memory-safety check of every reader. With BM_LIBFUZZER (the
# fuzz preset, clang) they are real libFuzzer binaries for long runs by hand
# (tests/fuzz/README.md) and no CTest test is added.
option(BM_LIBFUZZER "Build tests/fuzz with clang's libFuzzer (-fsanitize=fuzzer)" OFF)
file(GLOB BM_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/fuzz_*.c)
foreach(src ${BM_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  string(REPLACE "fuzz_" "" parser ${name})
  if(BM_LIBFUZZER)
    add_executable(${name} ${src})
    target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  else()
    add_executable(${name} ${src} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/driver.c)
    add_test(NAME fuzz.${parser}
      COMMAND ${name} -n 3000 ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${parser})
    set_tests_properties(fuzz.${parser} PROPERTIES LABELS fuzz)
  endif()
  target_link_libraries(${name} PRIVATE balmap_lib bm_warnings)
  target_include_directories(${name} PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/fuzz)
  target_compile_definitions(${name} PRIVATE BM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
endforeach()
