import ArgumentParser
import NIOPosix
print("warm")
