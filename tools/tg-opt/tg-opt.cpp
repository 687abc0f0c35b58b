//===- tg-opt.cpp - the tg pass driver ------------------------------------===//
//
// Runs a pass pipeline over a .tg file; everything lives in tgOptMain.
//
//===----------------------------------------------------------------------===//

#include "tg/Tools/OptMain.h"

int main(int argc, char **argv) { return tg::tgOptMain(argc, argv); }
