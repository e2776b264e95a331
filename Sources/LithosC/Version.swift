import CLithos
import Lithos
