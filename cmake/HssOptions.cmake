# Build options and the warning/sanitizer interface target every target links.
option(HSS_SANITIZE "Build with -fsanitize=address,undefined" OFF)
option(HSS_WERROR   "Treat warnings as errors (CI turns this on)" OFF)

add_library(hss_warnings INTERFACE)
target_compile_options(hss_warnings INTERFACE
    -Wall -Wextra -Wshadow -Wmissing-prototypes -Wstrict-prototypes
    -Wformat=2 -Wwrite-strings -Wno-unused-parameter
    $<$<BOOL:${HSS_WERROR}>:-Werror>)
if(HSS_SANITIZE)
  target_compile_options(hss_warnings INTERFACE
      -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(hss_warnings INTERFACE -fsanitize=address,undefined)
endif()

# hss_add_fdx(name SOURCES...) - a freeDiameter extension module: a MODULE
# library named <name>.fdx exporting only the fd_ext_* ABI (version script;
# hidden visibility alone makes the module unloadable in freeDiameter 1.2.1).
function(hss_add_fdx name)
  add_library(${name} MODULE ${ARGN})
  set_target_properties(${name} PROPERTIES PREFIX "" SUFFIX ".fdx"
      LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/fdx)
  # -z defs: an unresolved symbol fails the link, not the daemon's dlopen
  target_link_options(${name} PRIVATE
      "-Wl,--version-script=${PROJECT_SOURCE_DIR}/cmake/fdx.map" "-Wl,-z,defs")
  target_link_libraries(${name} PRIVATE hss_warnings)
endfunction()

# hss_add_unit_test(name SOURCE LIBS...) - one cmocka test program, label unit.
function(hss_add_unit_test name source)
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE ${ARGN} PkgConfig::CMOCKA hss_warnings)
  add_test(NAME ${name} COMMAND ${name})
  set_tests_properties(${name} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()
