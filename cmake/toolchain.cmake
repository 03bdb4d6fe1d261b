# Compiler settings shared by every target: warnings, sanitizers, ccache.

find_program(LBREC_CCACHE ccache)
if(LBREC_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${LBREC_CCACHE}")
endif()

add_library(lbrec_build_flags INTERFACE)
target_compile_options(lbrec_build_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                   -Wnon-virtual-dtor -Wold-style-cast
                                                   # C++20 designated initializers leave the
                                                   # members they skip at their defaults; that is
                                                   # the point of using them.
                                                   -Wno-missing-field-initializers
                                                   # GCC 12 false positive on Asio's coroutine
                                                   # frame allocator (awaitable_frame_base's
                                                   # operator delete) at -O2.
                                                   -Wno-mismatched-new-delete)
# Boost.Asio's awaitable machinery and Beast are header-heavy; keep the pieces they need in one
# place so every translation unit agrees on the configuration.
target_compile_definitions(lbrec_build_flags INTERFACE BOOST_ASIO_NO_DEPRECATED
                                                       BOOST_BEAST_USE_STD_STRING_VIEW)

if(LBREC_SANITIZE)
  target_compile_options(lbrec_build_flags INTERFACE -fsanitize=address,undefined
                                                     -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(lbrec_build_flags INTERFACE -fsanitize=address,undefined)
endif()

# Adds a static library for one layer of src/ with the project's flags.
function(lbrec_layer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(lbrec_${name} STATIC ${ARG_SOURCES})
  target_include_directories(lbrec_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(lbrec_${name} PUBLIC lbrec_build_flags ${ARG_DEPS})
endfunction()
