package imageproc

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
)

// GeneratorVersion is part of every cache key: bump it whenever the
// generator's output changes, so stale sets are regenerated.
const GeneratorVersion = 1

// The generated photographs' size and quality (the article's inputs).
const (
	PhotoWidth   = 1920
	PhotoHeight  = 1080
	PhotoQuality = 90
)

// The canonical thumbnail box and output quality (the article's settings).
const (
	BoxWidth      = 800
	BoxHeight     = 600
	OutputQuality = 85
)

// DefaultSeed is the seed of every generated set unless a caller picks another.
const DefaultSeed = 20241001

// A DatasetSpec says which generated set to make: Count files from Seed.
type DatasetSpec struct {
	Seed  uint64
	Count int
}

// Key names the set in the cache: seed, count and generator version.
func (s DatasetSpec) Key() string {
	return fmt.Sprintf("photos-v%d-seed%d-n%d", GeneratorVersion, s.Seed, s.Count)
}

// A Kind is what a generated file holds.
type Kind string

// The kinds of generated file.
const (
	KindPhoto   Kind = "photo"   // a 1920x1080 photo-like scene
	KindRotated Kind = "rotated" // a 1920x1080 scene tagged EXIF orientation 6 (displays 1080x1920)
	KindStripes Kind = "stripes" // stripes sweeping across the output's Nyquist frequency
	KindOdd     Kind = "odd"     // a scene of an odd size
)

// A File is one file of a generated set.
type File struct {
	Name string
	Kind Kind
	// Width and Height are the stored pixels; Orientation the EXIF tag (1 = none).
	Width, Height, Orientation int
}

// oddSizes are the odd sizes, in turn: Pillow's rounding picks floor on some
// and ceiling on others, and a portrait and a small image are among them.
var oddSizes = [][2]int{{1283, 721}, {999, 1333}, {3001, 1999}, {641, 479}, {1201, 1199}}

// Files lists the set's files. Among the first few are one of each special
// kind (the EXIF-rotated file, the stripes, two odd sizes), then every 25th
// file is another odd size; the rest are photo-like 1920x1080 scenes. The
// fourth file is named .jpeg, so both JPEG extensions are exercised.
func (s DatasetSpec) Files() []File {
	files := make([]File, s.Count)
	odd := 0
	nextOdd := func() (int, int) {
		sz := oddSizes[odd%len(oddSizes)]
		odd++
		return sz[0], sz[1]
	}
	for i := range files {
		f := File{Name: fmt.Sprintf("photo-%04d.jpg", i), Kind: KindPhoto, Width: PhotoWidth, Height: PhotoHeight, Orientation: 1}
		switch {
		case i == 1:
			f.Kind, f.Orientation = KindRotated, 6
		case i == 2:
			f.Kind, f.Name = KindStripes, fmt.Sprintf("stripes-%04d.jpg", i)
		case i == 3 || (i > 5 && i%25 == 3):
			f.Kind = KindOdd
			f.Width, f.Height = nextOdd()
			f.Name = fmt.Sprintf("photo-%04d.jpeg", i)
		case i == 4:
			f.Kind = KindOdd
			f.Width, f.Height = nextOdd()
		}
		files[i] = f
	}
	return files
}

// EnsureDataset returns the folder of the set spec names under
// cacheDir/data/imageproc/, generating it first when it is missing. The set
// is written to a temporary folder and renamed into place, so a crash never
// leaves half a set under the key.
func EnsureDataset(cacheDir string, spec DatasetSpec) (string, error) {
	if spec.Count <= 0 {
		return "", fmt.Errorf("dataset: count %d must be positive", spec.Count)
	}
	return ensure(filepath.Join(cacheDir, "data", "imageproc"), spec.Key(), func(dir string) error {
		return WriteDataset(dir, spec)
	})
}

// WriteDataset writes the set's files into dir, which must exist, on every CPU.
func WriteDataset(dir string, spec DatasetSpec) error {
	files := spec.Files()
	errs := make([]error, len(files))
	var wg sync.WaitGroup
	work := make(chan int)
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				errs[i] = writeFile(dir, spec.Seed, i, files[i])
			}
		}()
	}
	for i := range files {
		work <- i
	}
	close(work)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func writeFile(dir string, seed uint64, i int, f File) error {
	rng := rand.New(rand.NewPCG(seed, uint64(i)))
	var img *image.RGBA
	if f.Kind == KindStripes {
		w, h := ThumbnailSize(f.Width, f.Height, BoxWidth, BoxHeight)
		img = Stripes(f.Width, f.Height, w, h)
	} else {
		img = Photo(rng, f.Width, f.Height)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: PhotoQuality}); err != nil {
		return fmt.Errorf("encode %s: %w", f.Name, err)
	}
	data := buf.Bytes()
	if f.Orientation != 1 {
		data = WithOrientation(data, f.Orientation)
	}
	if err := os.WriteFile(filepath.Join(dir, f.Name), data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", f.Name, err)
	}
	return nil
}
