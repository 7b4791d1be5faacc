# Warnings for dynamate's own targets (never forced on consumers).
function(dynamate_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow
                         -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
                         # Not -Wnull-dereference: GCC 12 reports false positives inside
                         # libstdc++ at -O2. And GCC 12 warns about designated initializers
                         # that leave members to their defaults, the intended way to fill
                         # option structs.
                         -Wno-missing-field-initializers)
  if(DYNAMATE_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
