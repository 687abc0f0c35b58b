# lit configuration of tg's test suite. Tests are .tg and .td files with RUN
# lines; tools come from the build tree (tg_tools_dir) and LLVM 19's bin
# directory (FileCheck, not, count).
import os
import sys
import lit.formats

config.name = "tg"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".tg", ".td", ".test"]
config.excludes = ["Inputs", "CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py",
                   "check_each_case.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.tg_obj_root, "test")

config.environment["PATH"] = os.pathsep.join(
    [config.tg_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%tg_src_root", config.tg_src_root))
config.substitutions.append(("%python", sys.executable))
config.substitutions.append(("%td_dir", os.path.join(config.tg_src_root, "td")))
config.substitutions.append(("%examples", os.path.join(config.tg_src_root, "examples")))
# Shared libraries of the build, such as the test plugins of test/Verify.
config.substitutions.append(("%tg_lib_dir", os.path.join(config.tg_obj_root, "lib")))
