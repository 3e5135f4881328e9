#!/usr/bin/env bash
# Generate a synthetic CMAF/fMP4 (or MPEG-TS) HLS test stream (H.264 + AAC) with ffmpeg.
# See --help. Output is deterministic for a given set of arguments (x264 runs single-threaded:
# with VBV and frame threads its output varies from run to run).
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: make-stream.sh [options] OUT_DIR

Generates a synthetic H.264/AAC CMAF (fMP4) HLS stream: testsrc2 video with a big running
clock, frame and segment counter, a beeping sine tone, keyframes exactly every segment, and a
master playlist with BANDWIDTH/AVERAGE-BANDWIDTH/RESOLUTION/CODECS/FRAME-RATE.

Layout: OUT_DIR/master.m3u8, OUT_DIR/v<i>/index.m3u8, OUT_DIR/v<i>/init.mp4,
        OUT_DIR/v<i>/seg_00000.m4s ...  (byterange mode: OUT_DIR/v<i>/media.mp4;
        aes mode: OUT_DIR/v<i>/enc.key, segments AES-128-CBC encrypted, init in the clear;
        --ts: OUT_DIR/v<i>/seg_00000.ts ..., no init segment)

Options:
  -d, --duration SEC      total duration in seconds (default 60)
  -r, --renditions LIST   comma list of HEIGHT:VIDEO_KBPS (default "240:250,360:600")
  -s, --segment SEC       segment duration in whole seconds (default 2)
  -f, --fps N             frame rate (default 30)
  -a, --audio-kbps N      AAC-LC mono bitrate (default 64)
  -m, --mode MODE         plain | aes | byterange (default plain)
      --aes               same as --mode aes
      --byterange         same as --mode byterange
      --ts                MPEG-TS segments instead of fMP4 (plain mode only); hls.js then
                          transmuxes every segment, as for most real-world live streams
      --key-hex HEX       AES-128 key, 32 hex digits (default: fixed, derived from a string)
      --no-verify         skip the ffprobe checks
      --samples DIR       (re)generate the repo's sample set in DIR (sample, sample-aes,
                          sample-byterange) and exit; e.g. --samples kit/media
  -h, --help              show this help

Examples:
  make-stream.sh -d 60 kit/media/sample
  make-stream.sh -d 12 -r 240:250 --aes kit/media/sample-aes
  make-stream.sh -d 12 -r 240:250 --byterange kit/media/sample-byterange
  # The lab's stream (issue #11): MPEG-TS, one 1.55 Mbit/s rendition, 2 s segments, 180 s
  make-stream.sh -d 180 -r 720:1400 -a 96 --ts /tmp/media/lab180
EOF
}

die() { echo "make-stream: $*" >&2; exit 1; }

DURATION=60
RENDITIONS="240:250,360:600"
SEG=2
FPS=30
AKBPS=64
MODE=plain
KEY_HEX=""
VERIFY=1
TS=0
OUT=""

while [[ $# -gt 0 ]]; do
  case "$1" in
    -d|--duration) DURATION="${2:?}"; shift 2 ;;
    -r|--renditions) RENDITIONS="${2:?}"; shift 2 ;;
    -s|--segment) SEG="${2:?}"; shift 2 ;;
    -f|--fps) FPS="${2:?}"; shift 2 ;;
    -a|--audio-kbps) AKBPS="${2:?}"; shift 2 ;;
    -m|--mode) MODE="${2:?}"; shift 2 ;;
    --aes) MODE=aes; shift ;;
    --byterange) MODE=byterange; shift ;;
    --ts) TS=1; shift ;;
    --key-hex) KEY_HEX="${2:?}"; shift 2 ;;
    --no-verify) VERIFY=0; shift ;;
    --samples)
      base="${2:?}"; self="${BASH_SOURCE[0]}"
      "$self" -d 60 -r 240:250,360:600 "$base/sample"
      "$self" -d 12 -r 240:250 --aes "$base/sample-aes"
      "$self" -d 12 -r 240:250 --byterange "$base/sample-byterange"
      du -sh "$base" >&2
      exit 0 ;;
    -h|--help) usage; exit 0 ;;
    -*) die "unknown option $1 (see --help)" ;;
    *) [[ -z "$OUT" ]] || die "only one OUT_DIR"; OUT="$1"; shift ;;
  esac
done

[[ -n "$OUT" ]] || { usage >&2; exit 2; }
[[ "$DURATION" =~ ^[0-9]+$ && "$DURATION" -gt 0 ]] || die "bad --duration"
[[ "$SEG" =~ ^[0-9]+$ && "$SEG" -gt 0 ]] || die "bad --segment"
[[ "$FPS" =~ ^[0-9]+$ && "$FPS" -gt 0 ]] || die "bad --fps"
[[ "$AKBPS" =~ ^[0-9]+$ ]] || die "bad --audio-kbps"
case "$MODE" in plain|aes|byterange) ;; *) die "bad --mode $MODE" ;; esac
[[ "$TS" == 0 || "$MODE" == plain ]] || die "--ts goes with --mode plain only"
command -v ffmpeg >/dev/null || die "ffmpeg not found"
command -v ffprobe >/dev/null || die "ffprobe not found"
if [[ "$MODE" == aes ]]; then
  command -v openssl >/dev/null || die "openssl not found (needed for --aes)"
  [[ -n "$KEY_HEX" ]] || KEY_HEX="$(printf 'shoal-sample-key' | md5sum | cut -c1-32)"
  [[ "$KEY_HEX" =~ ^[0-9a-fA-F]{32}$ ]] || die "--key-hex needs 32 hex digits"
fi

IFS=',' read -r -a RLIST <<<"$RENDITIONS"
N=${#RLIST[@]}
[[ $N -gt 0 ]] || die "no renditions"
HEIGHTS=(); VKBPS=(); WIDTHS=()
for r in "${RLIST[@]}"; do
  [[ "$r" =~ ^([0-9]+):([0-9]+)$ ]] || die "bad rendition '$r' (want HEIGHT:KBPS)"
  h=${BASH_REMATCH[1]}; k=${BASH_REMATCH[2]}
  (( h % 2 == 0 )) || die "height must be even: $h"
  w=$(( (h * 16 / 9 + 1) / 2 * 2 ))
  HEIGHTS+=("$h"); VKBPS+=("$k"); WIDTHS+=("$w")
done

# Source is drawn at the largest rendition size, then scaled per rendition.
MAXH=0; MAXW=0
for i in "${!HEIGHTS[@]}"; do
  if (( HEIGHTS[i] > MAXH )); then MAXH=${HEIGHTS[i]}; MAXW=${WIDTHS[i]}; fi
done
# H.264 Main at the lowest level that holds the largest frame at 30 fps (3.0 up to 480p).
LEVEL=3.0; LEVEL_HEX=1e
if (( MAXH > 1080 )); then LEVEL=5.1; LEVEL_HEX=33
elif (( MAXH > 720 )); then LEVEL=4.0; LEVEL_HEX=28
elif (( MAXH > 480 )); then LEVEL=3.1; LEVEL_HEX=1f
fi

FONT=""
for f in /usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf \
         /usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf \
         /usr/share/fonts/truetype/liberation/LiberationMono-Bold.ttf; do
  [[ -f "$f" ]] && { FONT="$f"; break; }
done
FONTOPT=""
[[ -n "$FONT" ]] && FONTOPT="fontfile=${FONT}:"

rm -rf "$OUT"
mkdir -p "$OUT"

GOP=$(( FPS * SEG ))
BIG=$(( MAXH / 5 )); SMALL=$(( MAXH / 12 ))
box="box=1:boxcolor=black@0.6:boxborderw=6:fontcolor=white"
fc="[0:v]drawtext=${FONTOPT}${box}:fontsize=${BIG}:x=(w-tw)/2:y=(h-th)/2-${SMALL}:text='%{pts\:hms}'"
fc+=",drawtext=${FONTOPT}${box}:fontsize=${SMALL}:x=(w-tw)/2:y=(h/2)+${BIG}/2:text='frame %{n}  seg %{eif\:trunc(t/${SEG})\:d}'"
fc+=",split=${N}"
for i in "${!HEIGHTS[@]}"; do fc+="[s$i]"; done
for i in "${!HEIGHTS[@]}"; do
  fc+=";[s$i]scale=${WIDTHS[i]}:${HEIGHTS[i]},drawtext=${FONTOPT}${box}:fontsize=$(( HEIGHTS[i] / 12 )):x=8:y=8:text='v$i ${HEIGHTS[i]}p ${VKBPS[i]}k'[v$i]"
done

args=(-hide_banner -loglevel error -y
  -f lavfi -i "testsrc2=size=${MAXW}x${MAXH}:rate=${FPS}:duration=${DURATION}"
  -f lavfi -i "sine=frequency=440:beep_factor=4:sample_rate=48000:duration=${DURATION}"
  -filter_complex "$fc")
for i in "${!HEIGHTS[@]}"; do
  d="$OUT/v$i"; mkdir -p "$d"
  k=${VKBPS[i]}
  args+=(-map "[v$i]" -map 1:a
    -c:v libx264 -threads 1 -preset medium -profile:v main -level:v "$LEVEL" -pix_fmt yuv420p
    -b:v "${k}k" -maxrate "$(( k * 11 / 10 ))k" -bufsize "$(( k * SEG ))k"
    -g "$GOP" -keyint_min "$GOP" -sc_threshold 0 -force_key_frames "expr:gte(t,n_forced*${SEG})"
    -x264-params "scenecut=0:open-gop=0"
    -c:a aac -profile:a aac_low -b:a "${AKBPS}k" -ac 1 -ar 48000
    -map_metadata -1 -fflags +bitexact -flags:v +bitexact -flags:a +bitexact
    -f hls -hls_time "$SEG" -hls_playlist_type vod)
  if [[ "$TS" == 1 ]]; then
    args+=(-hls_segment_type mpegts -hls_flags independent_segments -hls_segment_filename "$d/seg_%05d.ts")
  else
    args+=(-hls_segment_type fmp4 -hls_fmp4_init_filename init.mp4)
  fi
  if [[ "$TS" == 1 ]]; then
    :
  elif [[ "$MODE" == byterange ]]; then
    args+=(-hls_flags single_file+independent_segments -hls_segment_filename "$d/media.mp4")
  else
    args+=(-hls_flags independent_segments -hls_segment_filename "$d/seg_%05d.m4s")
  fi
  args+=("$d/index.m3u8")
done
echo "make-stream: encoding ${DURATION}s, ${N} rendition(s), mode ${MODE} -> ${OUT}" >&2
ffmpeg "${args[@]}"

# --- per-segment checks (before any encryption): 1 keyframe first, exactly FPS*SEG frames ---
check_segments() {
  local d=$1 pl=$1/index.m3u8 total=0 bad=0 idx=0 line frames key n
  local -a durs=() uris=() ranges=()
  local dur="" range=""
  while IFS= read -r line; do
    case "$line" in
      '#EXTINF:'*) dur=${line#\#EXTINF:}; dur=${dur%%,*} ;;
      '#EXT-X-BYTERANGE:'*) range=${line#\#EXT-X-BYTERANGE:} ;;
      '#'*|'') ;;
      *) durs+=("$dur"); uris+=("$line"); ranges+=("$range"); range="" ;;
    esac
  done <"$pl"
  n=${#uris[@]}
  for idx in "${!uris[@]}"; do
    local seg="$d/${uris[idx]}" tmp
    tmp=$(mktemp)
    if [[ -n "${ranges[idx]}" ]]; then
      local len=${ranges[idx]%@*} off=${ranges[idx]#*@}
      local maplen
      maplen=$(grep -o 'BYTERANGE="[0-9]*@0"' "$pl" | awk 'NR==1' | sed 's/BYTERANGE="\([0-9]*\)@0"/\1/')
      { head -c "$maplen" "$seg"
        dd if="$seg" iflag=skip_bytes,count_bytes skip="$off" count="$len" status=none; } >"$tmp"
    elif [[ "$TS" == 1 ]]; then
      cat "$seg" >"$tmp"
    else
      cat "$d/init.mp4" "$seg" >"$tmp"
    fi
    read -r frames key < <(ffprobe -v error -select_streams v:0 -show_entries packet=flags \
      -of csv=p=0 "$tmp" | awk 'NF==0{next} n==0{k=substr($0,1,1)} {n++} END{print n, k}')
    rm -f "$tmp"
    local want=$GOP
    if (( idx == n - 1 )); then want=$(( (DURATION * FPS) - (n - 1) * GOP )); fi
    if [[ "$frames" != "$want" || "$key" != "K" ]]; then
      echo "make-stream: $d segment $idx: $frames frames (want $want), first flags '$key'" >&2
      bad=1
    fi
    total=$(( total + 1 ))
    local wantdur=$SEG
    (( idx == n - 1 )) && wantdur=$(awk -v w="$want" -v f="$FPS" 'BEGIN{print w/f}')
    if ! awk -v a="${durs[idx]}" -v b="$wantdur" 'BEGIN{exit !((a-b)<0.0005 && (b-a)<0.0005)}'; then
      echo "make-stream: $d segment $idx EXTINF ${durs[idx]} != $wantdur" >&2
      bad=1
    fi
  done
  (( bad == 0 )) || die "segment check failed for $d"
  echo "make-stream: $d: $total segments OK (${GOP} frames, keyframe first, EXTINF ${SEG}s)" >&2
}

# --- bandwidth: peak and average segment bitrate from the playlist and file sizes ---
bandwidth() { # prints "PEAK AVG"
  local d=$1 line dur="" range="" size peak=0 bits=0 secs=0
  while IFS= read -r line; do
    case "$line" in
      '#EXTINF:'*) dur=${line#\#EXTINF:}; dur=${dur%%,*} ;;
      '#EXT-X-BYTERANGE:'*) range=${line#\#EXT-X-BYTERANGE:} ;;
      '#'*|'') ;;
      *)
        if [[ -n "$range" ]]; then size=${range%@*}; else size=$(stat -c %s "$d/$line"); fi
        read -r peak bits secs < <(awk -v p="$peak" -v b="$bits" -v s="$secs" -v z="$size" -v t="$dur" \
          'BEGIN{r=z*8/t; if (r>p) p=r; printf "%d %d %.6f\n", p, b+z*8, s+t}')
        range="" ;;
    esac
  done <"$d/index.m3u8"
  awk -v p="$peak" -v b="$bits" -v s="$secs" 'BEGIN{printf "%d %d\n", p*1.05, b/s}'
}

avc_codec() { # avc1.PPCCLL from the avcC box of the init segment
  local f=$1 hex
  hex=$(od -An -tx1 -v -N 8192 "$f" | tr -d ' \n' | grep -o '6176634301.\{6\}' | awk 'NR==1')
  [[ -n "$hex" ]] || die "no avcC box in $f"
  echo "avc1.${hex:10:6}"
}

if [[ "$VERIFY" == 1 ]]; then
  for i in "${!HEIGHTS[@]}"; do check_segments "$OUT/v$i"; done
fi

# --- AES-128: encrypt each segment (CBC, PKCS#7, IV = media sequence number), init stays clear ---
if [[ "$MODE" == aes ]]; then
  for i in "${!HEIGHTS[@]}"; do
    d="$OUT/v$i"
    printf '%s' "$KEY_HEX" | xxd -r -p >"$d/enc.key"
    seq0=$(grep -o '^#EXT-X-MEDIA-SEQUENCE:[0-9]*' "$d/index.m3u8" | cut -d: -f2)
    seq0=${seq0:-0}
    n=0
    while IFS= read -r line; do
      [[ "$line" == \#* || -z "$line" ]] && continue
      iv=$(printf '%032x' $(( seq0 + n )))
      openssl enc -aes-128-cbc -K "$KEY_HEX" -iv "$iv" -in "$d/$line" -out "$d/$line.enc"
      mv "$d/$line.enc" "$d/$line"
      n=$(( n + 1 ))
    done <"$d/index.m3u8"
    # EXT-X-KEY after EXT-X-MAP: the key applies to media segments only, not the init section.
    awk '{print} /^#EXT-X-MAP:/{print "#EXT-X-KEY:METHOD=AES-128,URI=\"enc.key\""}' \
      "$d/index.m3u8" >"$d/index.m3u8.tmp"
    mv "$d/index.m3u8.tmp" "$d/index.m3u8"
  done
fi

# --- master playlist ---
{
  echo "#EXTM3U"
  echo "#EXT-X-VERSION:7"
  echo "#EXT-X-INDEPENDENT-SEGMENTS"
  for i in "${!HEIGHTS[@]}"; do
    d="$OUT/v$i"
    init="$d/init.mp4"; [[ "$MODE" == byterange ]] && init="$d/media.mp4"
    read -r peak avg < <(bandwidth "$d")
    # TS has no avcC box to read: Main profile (constraint_set1) at the level chosen above.
    if [[ "$TS" == 1 ]]; then codecs="avc1.4d40${LEVEL_HEX},mp4a.40.2"; else codecs="$(avc_codec "$init"),mp4a.40.2"; fi
    echo "#EXT-X-STREAM-INF:BANDWIDTH=${peak},AVERAGE-BANDWIDTH=${avg},RESOLUTION=${WIDTHS[i]}x${HEIGHTS[i]},FRAME-RATE=$(printf '%.3f' "$FPS"),CODECS=\"${codecs}\""
    echo "v$i/index.m3u8"
  done
} >"$OUT/master.m3u8"

if [[ "$VERIFY" == 1 ]]; then
  for pl in "$OUT/master.m3u8" "$OUT"/v*/index.m3u8; do
    info=$(ffprobe -v error -allowed_extensions ALL -show_entries format=duration:stream=codec_name,width,height \
      -of compact=p=0:nk=1 "$pl" | tr '\n' ' ') || die "ffprobe failed on $pl"
    [[ "$info" == *h264* && "$info" == *aac* ]] || die "ffprobe: unexpected streams in $pl: $info"
    echo "make-stream: ffprobe $pl: $info" >&2
  done
  # Demux every media playlist end to end (decrypting in aes mode): all frames must be there.
  for pl in "$OUT"/v*/index.m3u8; do
    pk=$(ffprobe -v error -allowed_extensions ALL -select_streams v:0 -count_packets \
      -show_entries stream=nb_read_packets -of csv=p=0 "$pl" | awk 'NR==1')
    [[ "$pk" == "$(( DURATION * FPS ))" ]] || die "ffprobe read $pk video packets from $pl, want $(( DURATION * FPS ))"
    echo "make-stream: ffprobe $pl: $pk video packets OK" >&2
  done
fi
# SHA-256 of every segment, next to the master playlist, for Shoal's integrity check (README "Integrity").
node "$(dirname "$0")/../../packages/core/bin/shoal-hash.js" -q "$OUT" || die "shoal-hash failed"
du -sh "$OUT" >&2
