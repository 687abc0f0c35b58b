//===- ThreadPool.cpp - the CPU runtime's workers -------------------------===//

#include "ThreadPool.h"

using namespace tg::cpu;

ThreadPool::ThreadPool(unsigned Slices) {
  for (unsigned S = 1; S < Slices; ++S)
    Workers.emplace_back([this, S] { work(S); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Stopping = true;
  }
  Start.notify_all();
  for (std::thread &W : Workers)
    W.join();
}

void ThreadPool::work(unsigned Slice) {
  uint64_t Seen = 0;
  for (;;) {
    const std::function<void(unsigned)> *Job;
    {
      std::unique_lock<std::mutex> Guard(Lock);
      Start.wait(Guard, [&] { return Stopping || Generation != Seen; });
      if (Stopping)
        return;
      Seen = Generation;
      if (Slice >= NumSlices)
        continue;
      Job = Current;
    }
    (*Job)(Slice);
    std::lock_guard<std::mutex> Guard(Lock);
    if (--Remaining == 0)
      Done.notify_one();
  }
}

void ThreadPool::run(unsigned N, const std::function<void(unsigned)> &Job) {
  if (N <= 1 || Workers.empty()) {
    for (unsigned S = 0; S != N; ++S)
      Job(S);
    return;
  }
  {
    std::lock_guard<std::mutex> Guard(Lock);
    Current = &Job;
    NumSlices = N;
    Remaining = N - 1;
    ++Generation;
  }
  Start.notify_all();
  Job(0);
  std::unique_lock<std::mutex> Guard(Lock);
  Done.wait(Guard, [&] { return Remaining == 0; });
}
