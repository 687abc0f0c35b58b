# tg_add_library(<name> <sources>... [LINK <targets>...] [DEPENDS <targets>...])
#
# A shared library of tg (see ARCHITECTURE.md, Linking): every tool and plugin
# in a process shares one copy of it, and with it one Context and registry.
function(tg_add_library name)
  cmake_parse_arguments(ARG "" "" "LINK;DEPENDS" ${ARGN})
  add_library(${name} SHARED ${ARG_UNPARSED_ARGUMENTS})
  target_include_directories(${name} PUBLIC
    ${PROJECT_SOURCE_DIR}/include ${TG_GENERATED_INCLUDE_DIR})
  if(ARG_LINK)
    target_link_libraries(${name} PUBLIC ${ARG_LINK})
  endif()
  if(ARG_DEPENDS)
    add_dependencies(${name} ${ARG_DEPENDS})
  endif()
endfunction()

# tg_enable_exceptions(<source>...): these files use an API that throws (Z3,
# nlohmann_json); they catch at their boundary.
function(tg_enable_exceptions)
  set_source_files_properties(${ARGN} PROPERTIES COMPILE_OPTIONS "-fexceptions")
endfunction()

# tg_tablegen(<output.inc> <action> <td file> [SUBDIR <dir>] [FLAGS <flag>...]):
# runs tg-tblgen at build time on td/<td file>; the output lands in the build
# tree under include/tg/<dir> (default IR), FLAGS are passed on.
function(tg_tablegen output action td)
  cmake_parse_arguments(ARG "" "SUBDIR" "FLAGS" ${ARGN})
  if(NOT ARG_SUBDIR)
    set(ARG_SUBDIR IR)
  endif()
  set(out ${TG_GENERATED_INCLUDE_DIR}/tg/${ARG_SUBDIR}/${output})
  file(GLOB td_files ${PROJECT_SOURCE_DIR}/td/*.td
       ${PROJECT_SOURCE_DIR}/td/patterns/*.td)
  add_custom_command(OUTPUT ${out}
    COMMAND tg-tblgen ${action} ${ARG_FLAGS} -I ${PROJECT_SOURCE_DIR}/td
            ${PROJECT_SOURCE_DIR}/td/${td} -o ${out} --write-if-changed
    DEPENDS tg-tblgen ${td_files}
    COMMENT "tg-tblgen ${action} ${td}")
  set_property(GLOBAL APPEND PROPERTY TG_TABLEGEN_OUTPUTS ${out})
endfunction()
