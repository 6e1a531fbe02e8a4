"""The README's cluster recipe on a real standalone Spark cluster on this machine: a master and
two workers started from the pyspark distribution (not local[N]), the Python environment and
the model shipped with --archives exactly as the README says, and every row equal to the CLI's
on polnear-dev's first 24 articles (all 84 took 223 s on a host without AVX-512)."""

import glob
import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pyspark = pytest.importorskip("pyspark")

import whosaid  # noqa: E402
from conftest import ROOT, SHARED, cli_attribute  # noqa: E402

SPARK_HOME = os.path.dirname(pyspark.__file__)
DEV_DOCS = os.path.join(SHARED, "polnear-dev", "docs.jsonl")
DOCUMENTS = 24
JOB = '''
import sys
from pyspark.sql import SparkSession
import whosaid.spark

docs, out = sys.argv[1], sys.argv[2]
spark = SparkSession.builder.appName("whosaid-cluster-test").getOrCreate()
quotes = whosaid.spark.attribute(spark.read.json(docs), model="./model/whosaid-minilm-l4")
quotes.write.mode("overwrite").json(out)
# Where the executors' whosaid came from: the shipped environment, not this machine's venv.
print("executor whosaid:", spark.sparkContext.parallelize([0], 1).map(lambda _: __import__("whosaid").__file__).first())
spark.stop()
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spark_env():
    return dict(os.environ, SPARK_HOME=SPARK_HOME, SPARK_LOCAL_IP="127.0.0.1", SPARK_NO_DAEMONIZE="1")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A standalone master and two one-core workers; yields the master URL."""
    work = tmp_path_factory.mktemp("spark-cluster")
    spark_class = os.path.join(SPARK_HOME, "bin", "spark-class")
    port, ui = free_port(), free_port()
    logs = []
    procs = []

    def start(name, args):
        log = open(work / f"{name}.log", "wb")
        logs.append(log)
        procs.append(subprocess.Popen([spark_class, *args], env=spark_env(), stdout=log, stderr=subprocess.STDOUT))

    start("master", ["org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
                     "--webui-port", str(ui)])
    url = f"spark://127.0.0.1:{port}"
    for i in range(2):
        start(f"worker{i}", ["org.apache.spark.deploy.worker.Worker", url, "--host", "127.0.0.1", "--cores", "1",
                             "--memory", "3g", "--webui-port", str(free_port()), "--work-dir", str(work / f"w{i}")])
    try:
        deadline = time.time() + 120
        alive = 0
        while time.time() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{ui}/json/", timeout=2) as r:
                    alive = json.load(r).get("aliveworkers", 0)
            except OSError:
                alive = 0
            if alive == 2:
                break
            time.sleep(1)
        assert alive == 2, "the standalone master did not see two workers: " + (work / "master.log").read_text()
        yield url
    finally:
        for p in procs:
            p.terminate()
        for p in procs:
            try:
                p.wait(timeout=30)
            except subprocess.TimeoutExpired:
                p.kill()
        for log in logs:
            log.close()


def run(args, **kw):
    done = subprocess.run(args, capture_output=True, text=True, **kw)
    assert done.returncode == 0, f"{args}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


def test_the_readme_cluster_recipe_gives_the_cli_rows(cluster, tmp_path):
    wheels = sorted(glob.glob(os.path.join(ROOT, "target", "wheels", "whosaid-*.whl")))
    assert wheels, "scripts/setup.sh builds the wheel into target/wheels"
    # The README's recipe: a venv holding the wheel, packed with venv-pack; the model packed too.
    env = tmp_path / "env"
    run([sys.executable, "-m", "venv", str(env)])
    run([str(env / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check", wheels[-1], "pandas",
         "pyarrow", "venv-pack"])
    run([str(env / "bin" / "venv-pack"), "-p", str(env), "-o", str(tmp_path / "whosaid-env.tar.gz"), "-q"])
    run(["tar", "czf", str(tmp_path / "model.tar.gz"), "-C", os.path.join(ROOT, "models"), "whosaid-minilm-l4"])
    (tmp_path / "job.py").write_text(JOB)
    # The cluster's own Spark gives its Python workers pyspark (SPARK_HOME/python/lib on a
    # Spark install); a pip-installed pyspark has none there, so point them at a folder that
    # holds pyspark and py4j alone. whosaid itself comes only from the shipped environment.
    spark_python = tmp_path / "spark-python"
    spark_python.mkdir()
    site = os.path.dirname(SPARK_HOME)
    for package in ("pyspark", "py4j"):
        os.symlink(os.path.join(site, package), spark_python / package)
    docs = tmp_path / "docs.jsonl"
    with open(DEV_DOCS, encoding="utf-8") as f:
        docs.write_text("".join(f.readlines()[:DOCUMENTS]), encoding="utf-8")
    out = tmp_path / "quotes"
    submitted = run([os.path.join(SPARK_HOME, "bin", "spark-submit"), "--master", cluster,
         "--archives", f"{tmp_path / 'whosaid-env.tar.gz'}#env,{tmp_path / 'model.tar.gz'}#model",
         "--conf", "spark.pyspark.python=./env/bin/python",
         "--conf", f"spark.pyspark.driver.python={sys.executable}",
         "--conf", f"spark.executorEnv.PYTHONPATH={spark_python}",
         "--conf", "spark.ui.enabled=false", "--conf", "spark.driver.host=127.0.0.1",
         str(tmp_path / "job.py"), str(docs), str(out)], env=spark_env(), cwd=str(tmp_path))

    executor = [line for line in submitted.stdout.splitlines() if line.startswith("executor whosaid:")]
    assert executor and "/env/" in executor[0] and str(ROOT) not in executor[0], submitted.stdout[-2000:]

    rows = []
    for part in sorted(glob.glob(str(out / "part-*.json"))):
        with open(part, encoding="utf-8") as f:
            rows.extend(json.loads(line) for line in f)
    # Spark's JSON writer leaves out null fields; the CLI's rows have them all.
    columns = [name for name, _ in whosaid.COLUMNS]
    got = sorted(json.dumps({c: r.get(c) for c in columns}, sort_keys=True) for r in rows)
    cli = cli_attribute(str(docs))
    expected = sorted(json.dumps(r, sort_keys=True) for r in whosaid._rows(cli))
    assert {r["doc_id"] for r in rows} == {d["id"] for d in cli}, "every document has its rows"
    assert len(cli) == DOCUMENTS
    assert got == expected
