package web

import (
	"image"
	"image/color"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	gzqr "github.com/makiuchi-d/gozxing/qrcode"
)

var qrSquare = regexp.MustCompile(`M(\d+) (\d+)h1v1h-1z`)
var qrViewBox = regexp.MustCompile(`viewBox="0 0 (\d+) (\d+)"`)

// rasterQR paints the SVG qrSVG drew, scale pixels a module.
func rasterQR(t *testing.T, svg string, scale int) image.Image {
	t.Helper()
	m := qrViewBox.FindStringSubmatch(svg)
	if m == nil {
		t.Fatalf("no viewBox in %.200s", svg)
	}
	n, _ := strconv.Atoi(m[1])
	img := image.NewGray(image.Rect(0, 0, n*scale, n*scale))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	squares := qrSquare.FindAllStringSubmatch(svg, -1)
	if len(squares) == 0 {
		t.Fatal("the QR code has no dark modules")
	}
	for _, sq := range squares {
		x, _ := strconv.Atoi(sq[1])
		y, _ := strconv.Atoi(sq[2])
		for dy := range scale {
			for dx := range scale {
				img.SetGray(x*scale+dx, y*scale+dy, color.Gray{})
			}
		}
	}
	return img
}

// decodeQR reads a QR code in an image with gozxing.
func decodeQR(t *testing.T, img image.Image) string {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := gzqr.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]any{gozxing.DecodeHintType_PURE_BARCODE: true})
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return res.GetText()
}

// TestQRSVGDecodes draws links as QR codes and reads them back with an
// independent decoder (gozxing, a port of ZXing).
func TestQRSVGDecodes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, text string }{
		{"a short link", "http://127.0.0.1:8080/q/abcdefghijklmnopqrstuv"},
		{"a link with a 43-character token", "https://clinic.example/q/" + strings.Repeat("Zx9_-", 8) + "abc"},
		{"a long address", "https://physio.long-clinic-name.example.org:8443/tendo/q/" + strings.Repeat("A1b2C3", 10)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			svg, err := qrSVG(tc.text, "QR code")
			if err != nil {
				t.Fatal(err)
			}
			s := string(svg)
			for _, want := range []string{`role="img"`, `aria-label="QR code"`, `<rect`} {
				if !strings.Contains(s, want) {
					t.Errorf("the SVG lacks %s", want)
				}
			}
			if strings.Contains(s, "<script") || strings.Contains(s, "style=") {
				t.Error("the SVG has a script or a style attribute (the CSP forbids them)")
			}
			if got := decodeQR(t, rasterQR(t, s, 4)); got != tc.text {
				t.Errorf("decoded %q, want %q", got, tc.text)
			}
		})
	}
}

func TestQRSVGTooLong(t *testing.T) {
	t.Parallel()
	if _, err := qrSVG(strings.Repeat("x", 5000), "QR code"); err == nil {
		t.Error("a 5,000-byte text made a QR code; want an error")
	}
}
