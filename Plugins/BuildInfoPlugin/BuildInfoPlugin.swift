import Foundation
import PackagePlugin

/// Writes `BuildInfo.swift` — the git commit the binary is built from — before every build, for
/// `krakenbridge --version`. The file is replaced only when the commit changes, so a build of an
/// unchanged tree recompiles nothing. Outside a git checkout (a source archive, a Docker context
/// without .git) the commit is `unknown`.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo")
        let script = #"""
            set -e
            mkdir -p "$2"
            commit=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
            if [ "$commit" != unknown ] && [ -n "$(git -C "$1" status --porcelain --untracked-files=no 2>/dev/null | head -c1)" ]; then
                commit="$commit-modified"
            fi
            printf '/// Written by the BuildInfo plugin before every build.\nenum BuildInfo {\n    static let commit = "%s"\n}\n' "$commit" > "$2/BuildInfo.swift.new"
            if cmp -s "$2/BuildInfo.swift.new" "$2/BuildInfo.swift"; then rm "$2/BuildInfo.swift.new"; else mv "$2/BuildInfo.swift.new" "$2/BuildInfo.swift"; fi
            """#
        return [
            .prebuildCommand(
                displayName: "Recording the git commit for --version",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: ["-c", script, "build-info", context.package.directoryURL.path, output.path],
                outputFilesDirectory: output),
        ]
    }
}
