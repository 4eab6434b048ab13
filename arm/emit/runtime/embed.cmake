# Wraps the float runtime's assembly (IN) into a C++ source (OUT) defining floatRuntimeText().
file(READ "${IN}" text)
# clang's directives the GNU assembler or our image do not need
string(REGEX REPLACE "\t\\.ident[^\n]*\n" "" text "${text}")
file(WRITE "${OUT}" "// Generated from arm/emit/runtime/float_runtime.c by arm/emit/runtime/embed.cmake.\n#include \"arm/emit/emitter.h\"\nnamespace vcr::emit::detail {\nstd::string_view floatRuntimeText() {\n  return R\"vcrfloatrt(${text})vcrfloatrt\";\n}\n}  // namespace vcr::emit::detail\n")
