// Command gen-sdk writes the TypeScript and Go SDKs of this provider from schema.json with Pulumi's
// own code generators (codegen/nodejs and codegen/go of the pkg/v3 module, the version of the CLI).
//
//	go run . -schema ../../schema.json -out ../../sdk
//
// It replaces OUT/nodejs and OUT/go, and runs `go mod tidy` in OUT/go so that the Go SDK builds as
// committed. schema.json carries the nodejs and go language sections and meta.supportPack.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"

	"github.com/blang/semver"
	"golang.org/x/mod/modfile"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "pulumi-alicloud-imagebuilder gen-sdk"

const pulumiSDK = "github.com/pulumi/pulumi/sdk/v3"

func main() {
	schemaPath := flag.String("schema", "schema.json", "the package schema")
	out := flag.String("out", "sdk", "the folder that receives nodejs/ and go/")
	flag.Parse()
	if err := run(*schemaPath, *out); err != nil {
		fmt.Fprintln(os.Stderr, "gen-sdk:", err)
		os.Exit(1)
	}
}

func run(schemaPath, out string) error {
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	nodeFiles, err := generate(spec, func(pkg *schema.Package) (map[string][]byte, error) {
		return nodejs.GeneratePackage(tool, pkg, nil, nil, false, noPackages{})
	})
	if err != nil {
		return fmt.Errorf("nodejs: %w", err)
	}
	goFiles, err := generate(spec, func(pkg *schema.Package) (map[string][]byte, error) {
		return gogen.GeneratePackage(tool, pkg, nil)
	})
	if err != nil {
		return fmt.Errorf("go: %w", err)
	}
	if goFiles["go.mod"], err = requireBuildSDK(goFiles["go.mod"]); err != nil {
		return err
	}

	if err := write(filepath.Join(out, "nodejs"), nodeFiles); err != nil {
		return err
	}
	goDir := filepath.Join(out, "go")
	if err := write(goDir, goFiles); err != nil {
		return err
	}
	tidy := exec.Command("go", "mod", "tidy")
	tidy.Dir = goDir
	if output, err := tidy.CombinedOutput(); err != nil {
		return fmt.Errorf("go mod tidy in %s: %w\n%s", goDir, err, output)
	}
	return nil
}

// generate binds (and so validates) a fresh package for one generator, which may modify it.
func generate(spec schema.PackageSpec, gen func(*schema.Package) (map[string][]byte, error)) (map[string][]byte, error) {
	pkg, diags, err := schema.BindSpec(spec, noPackages{}, schema.ValidationOptions{})
	for _, d := range diags {
		fmt.Fprintln(os.Stderr, "schema:", d.Error())
	}
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return nil, errors.New("schema.json does not bind")
	}
	return gen(pkg)
}

// requireBuildSDK makes the Go SDK require the sdk/v3 version that this tool is built with (the
// CLI's), instead of the generator's built-in minimum, so that one module version serves both.
func requireBuildSDK(gomod []byte) ([]byte, error) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return nil, errors.New("no build information in this binary")
	}
	version := ""
	for _, dep := range info.Deps {
		if dep.Path == pulumiSDK {
			version = dep.Version
		}
	}
	f, err := modfile.Parse("go.mod", gomod, nil)
	if err != nil {
		return nil, err
	}
	if err := f.AddRequire(pulumiSDK, version); err != nil {
		return nil, err
	}
	return f.Format()
}

// write replaces dir with the generated files.
func write(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// noPackages is the loader for a schema that references no other package.
type noPackages struct{}

func (noPackages) err(name string) error {
	return fmt.Errorf("schema.json references package %q; this tool loads no other packages", name)
}

func (l noPackages) LoadPackage(name string, _ *semver.Version) (*schema.Package, error) {
	return nil, l.err(name)
}

func (l noPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return nil, l.err(d.Name)
}

func (l noPackages) LoadPackageReference(name string, _ *semver.Version) (schema.PackageReference, error) {
	return nil, l.err(name)
}

func (l noPackages) LoadPackageReferenceV2(_ context.Context, d *schema.PackageDescriptor) (schema.PackageReference, error) {
	return nil, l.err(d.Name)
}
