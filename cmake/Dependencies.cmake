# External dependencies, all from Debian packages, never vendored.
find_package(PkgConfig REQUIRED)
find_package(OpenSSL 3.0 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(Threads REQUIRED)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
pkg_check_modules(LIBCONFIG REQUIRED IMPORTED_TARGET libconfig)

# freeDiameter 1.2.1 (libfreediameter-dev) ships no CMake or pkg-config file.
find_path(FD_INCLUDE_DIR freeDiameter/libfdcore.h REQUIRED)
find_library(FD_CORE_LIB fdcore REQUIRED)
find_library(FD_PROTO_LIB fdproto REQUIRED)
add_library(freeDiameter::core INTERFACE IMPORTED)
target_include_directories(freeDiameter::core INTERFACE ${FD_INCLUDE_DIR})
target_link_libraries(freeDiameter::core INTERFACE ${FD_CORE_LIB} ${FD_PROTO_LIB})

# Where Debian keeps its own extensions (dict_dcca_3gpp.fdx, acl_wl.fdx, ...).
find_path(FD_EXT_DIR acl_wl.fdx PATHS /usr/lib/freeDiameter
          /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/freeDiameter)
find_program(FREEDIAMETERD freeDiameterd)
